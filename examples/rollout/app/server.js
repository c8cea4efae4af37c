// The app every instance of the fleet runs: a page on port 8000.
const http = require("node:http");

const RELEASE = "1";

http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`rollout app, release ${RELEASE}\n`);
  })
  .listen(8000);
