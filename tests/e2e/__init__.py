"""Browser tests: the real app in a subprocess, driven by headless Chromium at phone size."""
