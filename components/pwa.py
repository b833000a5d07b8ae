"""Makes Anchang an installable web app: manifest, icons, service worker and offline page."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse
from nicegui import app, ui

# Served without a session: the browser fetches them before (and without) anyone signing in.
PUBLIC_PATHS = ('/sw.js', '/offline.html', '/manifest.webmanifest')
PUBLIC_PREFIXES = ('/pwa/',)
THEME_COLOR = '#0f766e'

PWA_HEAD = f"""
<link rel="manifest" href="/manifest.webmanifest">
<meta name="theme-color" content="{THEME_COLOR}">
<link rel="apple-touch-icon" href="/pwa/icons/apple-touch-icon.png">
<meta name="apple-mobile-web-app-capable" content="yes">
<meta name="mobile-web-app-capable" content="yes">
<meta name="apple-mobile-web-app-status-bar-style" content="default">
<meta name="apple-mobile-web-app-title" content="案场">
<script>
  // after load, so registering never competes with the page's own first requests
  if ('serviceWorker' in navigator) {{
    window.addEventListener('load', () => {{
      navigator.serviceWorker.register('/sw.js', {{scope: '/', updateViaCache: 'none'}}).catch(() => {{}});
    }});
  }}
</script>
"""


def add_pwa_head() -> None:
    """Add the manifest, icons and service-worker registration to every page (call once at start-up)."""
    ui.add_head_html(PWA_HEAD, shared=True)


def mount_pwa_routes(assets_dir: Path) -> None:
    """Serve /pwa/ (icons), /sw.js, /offline.html and /manifest.webmanifest from `assets_dir`."""
    app.add_static_files('/pwa', assets_dir / 'pwa')
    # max_cache_age=0: a phone must see a new worker or offline page on its next visit
    app.add_static_file(local_file=assets_dir / 'sw.js', url_path='/sw.js', max_cache_age=0)
    app.add_static_file(local_file=assets_dir / 'offline.html', url_path='/offline.html', max_cache_age=0)
    manifest = assets_dir / 'pwa' / 'manifest.webmanifest'

    @app.get('/manifest.webmanifest', include_in_schema=False)
    def web_manifest() -> FileResponse:
        """The manifest at the root, with the media type browsers expect."""
        return FileResponse(manifest, media_type='application/manifest+json', headers={'Cache-Control': 'no-cache'})
