// A real SMTP server on loopback for scripts/cluster.sh (smtp-server and mailparser, as in
// end2end/global-setup.ts): every mail accepted is parsed and appended, one JSON object
// per line, to the mailbox file:
//   {"port": 40123, "to": ["a@x.fr"], "subject": "...", "text": "...", "received_at": 1767000000123}
// It listens on one port per server instance (each instance gets its own SMTP_URL), so
// that the mailbox tells which instance handed over each mail. A mail is appended before
// its "250 OK" is sent: once an instance has recorded a mail as sent, the mail is in the
// file.
//
// Usage: node scripts/lib/smtp-sink.mjs --ports N --mailbox FILE --ready FILE [--hold FILE]
//   --ready: written once every port listens: {"ports": [p1, p2, ...], "pid": ...}.
//   --hold: a control file for tests. While it exists and holds a port number, the next
//     mail that comes in on that port is held at its RCPT TO (before any data is sent, so
//     the mail is not delivered): no answer until the file is removed or the client goes
//     away. "FILE.held" is then written: {"port": p, "to": "...", "at": ms}. One mail is
//     held per arming (write the port again, after removing the file, to hold another).
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import fs from 'node:fs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  console.error(`smtp-sink: --${name} is required`);
  process.exit(2);
}

const count = Number(arg('ports', '1'));
const mailbox = arg('mailbox');
const ready = arg('ready');
const holdFile = arg('hold', '');
fs.appendFileSync(mailbox, '');

// The held RCPT TO: { port, session id, callback }, and whether this arming was used.
let held = null;
let armingUsed = false;

function armedPort() {
  if (!holdFile) return null;
  try {
    const port = Number(fs.readFileSync(holdFile, 'utf8').trim());
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

// A removed control file releases the held mail (if its client is still there) and
// re-arms the sink for the next time the file is written.
if (holdFile) {
  setInterval(() => {
    if (armedPort() !== null) return;
    armingUsed = false;
    if (held) {
      const { callback } = held;
      held = null;
      callback();
    }
  }, 100).unref();
}

function serve(index) {
  let port = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, session, callback) {
      if (!armingUsed && armedPort() === port) {
        armingUsed = true;
        held = { port, session: session.id, callback };
        const note = { port, to: address.address, at: Date.now() };
        fs.writeFileSync(`${holdFile}.held.tmp`, JSON.stringify(note));
        fs.renameSync(`${holdFile}.held.tmp`, `${holdFile}.held`);
        return;
      }
      callback();
    },
    onClose(session) {
      // The client of the held mail went away (killed): nothing to answer any more.
      if (held && held.session === session.id) held = null;
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((t) => t.value.map((v) => v.address));
          const line = { port, to, subject: mail.subject ?? '', text: mail.text ?? '', received_at: Date.now() };
          fs.appendFileSync(mailbox, JSON.stringify(line) + '\n');
          callback();
        })
        .catch((e) => callback(e));
    },
  });
  server.on('error', (e) => console.error(`smtp-sink (port ${port}): ${e.message}`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      port = server.server.address().port;
      resolve({ index, port, server });
    });
  });
}

const servers = await Promise.all(Array.from({ length: count }, (_, i) => serve(i)));
fs.writeFileSync(`${ready}.tmp`, JSON.stringify({ ports: servers.map((s) => s.port), pid: process.pid }));
fs.renameSync(`${ready}.tmp`, ready);

const stop = () => {
  for (const { server } of servers) server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
