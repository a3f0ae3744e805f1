/* Installs the service worker and asks it to keep this person's field forms on the phone (every 10 minutes
 * at most; at once when someone else signs in on the same phone). */
(function () {
  "use strict";
  const script = document.getElementById("sw-register");
  if (!script || !("serviceWorker" in navigator)) return;
  const user = script.dataset.user;
  navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).then(async () => {
    const registration = await navigator.serviceWorker.ready;
    const last = (localStorage.getItem("jianfu-warm") || "").split(":");
    if (last[0] !== user || Date.now() - Number(last[1] || 0) > 10 * 60 * 1000) {
      registration.active.postMessage({ type: "warm", user });
      localStorage.setItem("jianfu-warm", user + ":" + Date.now());
    }
  }).catch(() => {});
})();
