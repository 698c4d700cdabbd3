"use strict";
// Filters by status and profile. Without this script the form stays hidden
// and every result is shown. The state lives in the address's fragment
// (#status=fail,warn&profile=cove), so that a filtered view can be
// bookmarked or printed; only the known values are read from it.
(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=status]"));
  var select = form.querySelector("select[name=profile]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-status]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var empties = Array.prototype.slice.call(document.querySelectorAll("[data-empty]"));
  var shown = document.getElementById("shown");

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
    });
    if (params.status !== undefined) {
      var want = params.status.split(",");
      boxes.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
    }
    if (params.profile !== undefined) {
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === params.profile; });
      select.value = known ? params.profile : "";
    }
  }

  function writeHash() {
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var parts = [];
    if (on.length !== boxes.length) { parts.push("status=" + on.join(",")); }
    if (select.value !== "") { parts.push("profile=" + encodeURIComponent(select.value)); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== location.hash && history.replaceState) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
  }

  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var profile = select.value;
    var count = 0;
    items.forEach(function (el) {
      var visible = on[el.getAttribute("data-status")] === true &&
        (profile === "" || el.getAttribute("data-profile") === profile);
      el.hidden = !visible;
      if (visible) { count++; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector("[data-status]:not([hidden])"); });
    empties.forEach(function (e) {
      var section = document.getElementById(e.getAttribute("data-empty"));
      e.hidden = !section || !!section.querySelector("[data-status]:not([hidden])") || !section.querySelector("[data-status]");
    });
    shown.textContent = "showing " + count + " of " + items.length + " results";
  }

  form.hidden = false;
  form.addEventListener("change", function () { apply(); writeHash(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
}());
