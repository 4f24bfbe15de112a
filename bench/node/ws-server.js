// Peer: Node `ws` broadcast server speaking the Hackops wire format (see bench/README.md).
// {"type":"subscribe",...} -> snapshot, then every update; {"type":"publish","data":{...}} ->
// one update frame, serialised once, sent to every subscriber. Usage: node ws-server.js PORT
'use strict';
const { WebSocketServer } = require('ws');

const TOPIC = 'event:00000000-0000-4000-8000-00000000b0b0';
const port = Number(process.argv[2] || 9001);
const subscribers = new Set();
let version = 0;
let latest = '{}';

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, backlog: 4096 });
wss.on('connection', (ws) => {
  ws.on('error', () => subscribers.delete(ws));
  ws.on('close', () => subscribers.delete(ws));
  ws.on('message', (raw, isBinary) => {
    if (isBinary) return;
    const msg = JSON.parse(raw);
    if (msg.type === 'subscribe') {
      subscribers.add(ws);
      ws.send(`{"type":"snapshot","topic":"${TOPIC}","version":${version},"data":${latest}}`);
    } else if (msg.type === 'publish') {
      version += 1;
      latest = JSON.stringify(msg.data);
      const frame = Buffer.from(`{"type":"update","topic":"${TOPIC}","version":${version},"data":${latest}}`);
      for (const client of subscribers) client.send(frame, { binary: false });
    }
  });
});
wss.on('listening', () => console.log(`ws peer listening on 127.0.0.1:${port}`));
