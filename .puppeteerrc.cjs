// Puppeteer must not download a browser of its own when this repository is installed: briefdeck
// prints with its pinned Chromium (@sparticuz/chromium, from npm) or the one the user names.
// npm 11 does not run Puppeteer's download script at all (package.json `allowScripts`); npm 10,
// which comes with Node 20, runs it, and without this it fails `npm ci` on a machine offline.
module.exports = { skipDownload: true };
