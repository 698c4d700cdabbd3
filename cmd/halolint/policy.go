package main

import (
	"context"
	"errors"
	"io/fs"

	"github.com/spf13/pflag"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/policies"
)

// defaultConfigFile is read when --config is not given and it exists.
const defaultConfigFile = "halolint.yaml"

// policyFlags are --policy and --config: what the engine evaluates and
// which objects belong to which profile.
type policyFlags struct {
	dirs       []string
	configFile string
	// access makes the engine answer Access too (the access command).
	access bool
}

func (f *policyFlags) bindPolicyDirs(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.dirs, "policy", nil, "load more Rego policies from `DIR` beside the built-in ones (repeatable)")
}

func (f *policyFlags) bindConfig(fs *pflag.FlagSet) {
	fs.StringVar(&f.configFile, "config", "", "which objects belong to which profile, YAML (default ./"+defaultConfigFile+" if it exists)")
}

// load compiles the policies once and reads the config file.
func (f *policyFlags) load(ctx context.Context, env *cmdEnv) (*audit.Engine, audit.Config, error) {
	engine, err := audit.New(ctx, audit.Options{Builtin: policies.FS(), PolicyDirs: f.dirs, Access: f.access})
	if err != nil {
		return nil, audit.Config{}, err
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return nil, audit.Config{}, err
	}
	if err := engine.ValidateConfig(cfg); err != nil {
		return nil, audit.Config{}, err
	}
	return engine, cfg, nil
}

func (f *policyFlags) loadConfig() (audit.Config, error) {
	if f.configFile != "" {
		return audit.LoadConfig(f.configFile)
	}
	cfg, err := audit.LoadConfig(defaultConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return audit.Config{}, nil
	}
	return cfg, err
}
