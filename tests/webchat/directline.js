#!/usr/bin/env node
// offline-directline (a local Direct Line and Bot Framework connector) on 127.0.0.1 only, for
// tests/browser/test_teams_webchat.py.
//
//   node tests/webchat/directline.js http://127.0.0.1:3978/api/messages
//
// Prints "LISTENING <port>" once it accepts connections (it picks a free port). The package's
// own command line (`directline -d PORT -b URL`) listens on every interface; this binds to
// loopback, so the serviceUrl it puts on activities (http://127.0.0.1:PORT) is one our server
// accepts with authentication off. It also answers CORS preflights on every path: the package
// only answers them for /directline, so a browser page on another port could not talk to it.
'use strict';

const http = require('http');
const express = require('express');
const { getRouter } = require('offline-directline');

const botUrl = process.argv[2];
if (!botUrl) {
  console.error('usage: node directline.js BOT_MESSAGES_URL');
  process.exit(2);
}

const app = express();
app.options('*', (req, res) => {
  res.header('Access-Control-Allow-Origin', '*');
  res.header('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, PATCH, OPTIONS');
  res.header(
    'Access-Control-Allow-Headers',
    'Origin, X-Requested-With, Content-Type, Accept, Authorization, x-ms-bot-agent',
  );
  res.sendStatus(200);
});

const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  app.use(getRouter(`http://127.0.0.1:${port}`, botUrl));
  console.log(`LISTENING ${port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
