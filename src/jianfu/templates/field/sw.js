/* Jianfu's service worker (version {{ version }}): keeps the field forms and what they need on the phone, so a
 * monitor or grid worker can record without signal; shows Web Push messages. Every other request goes to the
 * network untouched. */
"use strict";
const VERSION = "{{ version }}";
const ASSETS = {{ assets_json|safe }};
const STATIC_CACHE = "jianfu-static-" + VERSION;
const PAGE_CACHE = "jianfu-pages";
const OUTBOX_URL = "{{ outbox_url }}";
const PAGES_URL = "{{ pages_url }}";
const NETWORK_TIMEOUT = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("jianfu-static-") && key !== STATIC_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

/* The pages kept on the phone are this person's field forms; another person signing in replaces them. */
async function warm(user) {
  let cache = await caches.open(PAGE_CACHE);
  const owner = await cache.match("/__owner__");
  if (owner && (await owner.text()) !== String(user)) {
    await caches.delete(PAGE_CACHE);
    cache = await caches.open(PAGE_CACHE);
  }
  const response = await fetch(PAGES_URL, { credentials: "same-origin" });
  if (!response.ok || response.redirected) return;
  const pages = (await response.json()).pages.map((page) => page.url);
  await cache.put("/__owner__", new Response(String(user)));
  await cache.put("/__pages__", new Response(JSON.stringify(pages)));
  for (const url of pages) {
    const page = await fetch(url, { credentials: "same-origin" });
    if (page.ok && !page.redirected) await cache.put(url, page);
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "warm") event.waitUntil(warm(data.user));
  if (data.type === "forget") event.waitUntil(caches.delete(PAGE_CACHE));
});

async function fieldPages() {
  const listed = await (await caches.open(PAGE_CACHE)).match("/__pages__");
  return listed ? listed.json() : [];
}

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

async function navigate(request, url) {
  const isField = (await fieldPages()).includes(url.pathname);
  try {
    const response = await withTimeout(fetch(request));
    if (isField && response.ok && !response.redirected) {
      await (await caches.open(PAGE_CACHE)).put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGE_CACHE);
    const cached = (isField && (await cache.match(url.pathname))) || (await cache.match(OUTBOX_URL));
    if (cached) return cached;
    return new Response("<!doctype html><html lang=zh-CN><meta charset=utf-8><title>没有信号</title><p>没有信号，请有信号后再打开。</p></html>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(self.registration.showNotification(data.title || "减负平台有新消息", {
    tag: data.tag, data: { url: data.url || "/notifications/" }, icon: "/static/field/icon-192.png", lang: "zh-CN",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
