// "使用我的位置" on any form that asks where (progressive enhancement: without the browser's geolocation, or when
// the person refuses it, the form is filled by hand as before). A form opts in with data attributes naming its
// fields: data-locate-after (the field the button follows), data-locate-lat / data-locate-lng (filled with the
// position), data-locate-place (filled when empty), data-locate-village (a select set to the nearest village) and
// data-locate-url (answers {village, village_pk, name, place} for ?lat=&lng=; data-locate-village-key="pk" when the
// select's values are ids; no map tiles are fetched from anywhere).
(function () {
  "use strict";

  function field(form, name) { return name ? form.querySelector("[name='" + name + "']") : null; }

  function say(status, text) { status.textContent = text; }

  function place(form, status, position) {
    var lat = position.coords.latitude.toFixed(6), lng = position.coords.longitude.toFixed(6);
    var latInput = field(form, form.dataset.locateLat), lngInput = field(form, form.dataset.locateLng);
    if (latInput && lngInput) { latInput.value = lat; lngInput.value = lng; }
    var accuracy = Math.round(position.coords.accuracy || 0);
    var told = "已取得位置（误差约 " + accuracy + " 米）";
    if (!form.dataset.locateUrl) { say(status, told + "。"); return; }
    fetch(form.dataset.locateUrl + "?lat=" + lat + "&lng=" + lng, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (found) {
        var village = field(form, form.dataset.locateVillage);
        var placeInput = field(form, form.dataset.locatePlace);
        var value = form.dataset.locateVillageKey === "pk" ? String(found.village_pk || "") : found.village;
        if (value && village && village.querySelector("option[value='" + value + "']")) {
          village.value = value;
          village.dispatchEvent(new Event("change", { bubbles: true }));
        }
        if (found.place && placeInput && !placeInput.value.trim()) { placeInput.value = found.place; }
        say(status, found.name ? told + "，在" + found.name + "附近。请核对下面的村（社区）和位置。"
          : told + "，附近没有找到已划网格的村（社区），请自己选择村（社区）并写明位置。");
      })
      .catch(function () { say(status, told + "。请自己选择村（社区）并写明位置。"); });
  }

  function enhance(form) {
    var after = field(form, form.dataset.locateAfter);
    if (!after || !("geolocation" in navigator)) { return; }
    var box = document.createElement("div");
    box.className = "mb-3 locate-box";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary";
    button.textContent = "使用我的位置";
    var status = document.createElement("p");
    status.className = "small mb-0 mt-1";
    status.setAttribute("role", "status");
    box.appendChild(button);
    box.appendChild(status);
    var wrapper = after.closest(".mb-3") || after;
    wrapper.parentNode.insertBefore(box, wrapper.nextSibling);
    button.addEventListener("click", function () {
      say(status, "正在取得位置……（浏览器会询问是否允许）");
      navigator.geolocation.getCurrentPosition(
        function (position) { place(form, status, position); },
        function () { say(status, "没有取得位置（可能没有允许定位）。请直接选择村（社区）、写明位置。"); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function ready() { document.querySelectorAll("form[data-locate-after]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
