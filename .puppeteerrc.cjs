// Installing Pelita must never download a browser: whatsapp-web.js (when enabled) drives the
// system Chromium named by CHROMIUM_PATH.
module.exports = { skipDownload: true };
