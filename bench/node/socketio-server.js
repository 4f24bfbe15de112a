// Peer: socket.io broadcast server (websocket transport only), same messages as ws-server.js
// as socket.io events: emit('subscribe', {topic}) -> 'snapshot', then every 'update';
// emit('publish', {data}) -> io.to(topic).emit('update', {...}) (encoded once by the adapter).
// Usage: node socketio-server.js PORT
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const TOPIC = 'event:00000000-0000-4000-8000-00000000b0b0';
const port = Number(process.argv[2] || 9002);
let version = 0;
let latest = {};

const httpServer = http.createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
});
io.on('connection', (socket) => {
  socket.on('subscribe', (msg) => {
    socket.join(msg.topic);
    socket.emit('snapshot', { type: 'snapshot', topic: msg.topic, version, data: latest });
  });
  socket.on('publish', (msg) => {
    version += 1;
    latest = msg.data;
    io.to(TOPIC).emit('update', { type: 'update', topic: TOPIC, version, data: latest });
  });
});
httpServer.listen({ host: '127.0.0.1', port, backlog: 4096 }, () =>
  console.log(`socket.io peer listening on 127.0.0.1:${port}`),
);
