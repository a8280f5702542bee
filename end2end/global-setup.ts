// A real SMTP server on loopback: every mail the portal sends is parsed and appended,
// one JSON object per line, to the mailbox file the specs read.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup() {
  const port = Number(process.env.E2E_SMTP_PORT ?? 2525);
  const mailbox = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ee-mail-')), 'inbox.jsonl');
  fs.writeFileSync(mailbox, '');
  process.env.E2E_MAILBOX = mailbox;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : mail.to?.text ?? '';
          fs.appendFileSync(mailbox, JSON.stringify({ to, subject: mail.subject ?? '', text: mail.text ?? '' }) + '\n');
          callback();
        })
        .catch((e) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
