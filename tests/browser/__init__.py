"""Real-browser tests: JupyterLab and Voila servers driven by Playwright and Chromium."""
