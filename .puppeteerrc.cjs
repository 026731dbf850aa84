/**
 * whatsapp-web.js drives a browser through puppeteer. Installing Pelita must never download
 * one: the system Chromium is used (CHROMIUM_PATH, default /usr/bin/chromium).
 */
module.exports = { skipDownload: true };
