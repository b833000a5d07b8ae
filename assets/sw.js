// Anchang service worker, served at /sw.js so that its scope is the whole app.
// A NiceGUI page lives on its websocket and cannot work offline; this worker only makes the app
// installable, loads the heavy static files from cache, and shows /offline.html instead of the
// browser's error page when a navigation fails.

// Bump on every deploy that changes /pwa/ or /static/ files: activate then drops the old cache.
const CACHE = 'anchang-v1';
const OFFLINE_URL = '/offline.html';
const PRECACHE = [
  OFFLINE_URL,
  '/manifest.webmanifest',
  '/pwa/icons/icon-192.png',
  '/pwa/icons/icon-512.png',
  '/pwa/icons/maskable-192.png',
  '/pwa/icons/maskable-512.png',
  '/pwa/icons/apple-touch-icon.png',
  '/pwa/icons/favicon.png',
];
const STATIC_FILE = /\.(?:js|mjs|css|woff2?|ttf|png|jpe?g|svg|ico|webp|json)$/i;
const NICEGUI_VERSIONED = /^\/_nicegui\/\d+\.\d+\.\d+[^/]*\//;  // /_nicegui/3.18.0/…

self.addEventListener('install', (event) => {
  // cache: 'reload' so a fresh worker never precaches a stale copy from the HTTP cache
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;  // form posts and uploads must always reach the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isLive(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request));
  } else if (isVersionedNiceGui(url.pathname)) {
    event.respondWith(cacheFirst(event, request));
  } else if ((url.pathname.startsWith('/pwa/') || url.pathname.startsWith('/static/')) && STATIC_FILE.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, request));
  }
  // anything else (pages' data, photos, downloads) goes to the network untouched
});

// The websocket, socket.io polling and per-client endpoints (uploads, downloads) are live traffic.
function isLive(path) {
  return path.startsWith('/_nicegui_ws') || path.includes('socket.io') || path.startsWith('/_nicegui/client/')
    || (path.startsWith('/_nicegui/') && path.includes('/upload'));
}

// /_nicegui/<version>/… never changes for a given version, except the generated dynamic resources.
function isVersionedNiceGui(path) {
  return NICEGUI_VERSIONED.test(path) && !path.includes('/dynamic_resources/') && STATIC_FILE.test(path);
}

// Pages carry the signed-in user's data: never cache them, only fall back when the network is gone.
// Behind the TLS reverse proxy a stopped app answers 502/503/504 instead of failing: same page.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (![502, 503, 504].includes(response.status)) return response;
  } catch {
    // no network at all: fall through to the offline page
  }
  return (await caches.match(OFFLINE_URL)) || Response.error();
}

async function cacheFirst(event, request) {
  const cached = await caches.match(request);
  return cached || fetchAndStore(event, request);
}

// The app's own /pwa/ and /static/ files are not versioned by URL: answer from cache at once,
// refresh the copy in the background so a redeploy shows up on the next load.
async function staleWhileRevalidate(event, request) {
  const cached = await caches.match(request);
  const refresh = fetchAndStore(event, request);
  if (!cached) return refresh;
  event.waitUntil(refresh.catch(() => undefined));
  return cached;
}

async function fetchAndStore(event, request) {
  const response = await fetch(request);
  // only complete same-origin answers: a 404, redirect or partial (206) must not stick in the cache
  if (response.ok && response.status === 200 && response.type === 'basic') {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
  }
  return response;
}

// An alert from the notification outbox (Web Push): show it even when the phone's page is closed or asleep;
// a tap opens (or focuses) the page the alert is about.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || '案场';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || '',
    tag: data.url || 'anchang',
    renotify: true,
    requireInteraction: true,
    vibrate: [300, 120, 300, 120, 300],
    icon: '/pwa/icons/icon-192.png',
    badge: '/pwa/icons/favicon.png',
    data: { url: data.url || '/' },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (client.url === target && 'focus' in client) return client.focus();
    }
    return self.clients.openWindow(target);
  })());
});
