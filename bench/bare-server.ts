import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The benchmark's baseline: a bare `node:http` server that answers every request with the same SCIM
 * body (a ListResponse of one user captured from the real server, so the bytes on the wire match) and
 * the SCIM media type. It does no routing, parsing, authentication or storage: the ceiling a SCIM
 * server in Node could reach on this machine with this load generator.
 * @see RFC 7644 §3.4.2 (ListResponse), §8.1 (application/scim+json)
 *
 * Usage: PORT=<port> node bench/bare-server.ts <body-file>
 */
const bodyFile = process.argv[2];
if (bodyFile === undefined) {
  console.error('Usage: PORT=<port> node bench/bare-server.ts <body-file>');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const port = Number(process.env.PORT ?? 0);

const server = createServer((request, response) => {
  // Drain any request body so keep-alive connections stay usable.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/scim+json; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
  });
});
server.listen(port, '127.0.0.1');

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
