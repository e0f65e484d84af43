import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/*
 * A port on 127.0.0.1 where a TCP connect never completes. A refused port answers at once (RST), and a listening
 * Node server completes every handshake in the kernel and accepts at once, so neither ever reaches a connect
 * timeout. Here the listener lives in a worker thread whose event loop is then blocked in Atomics.wait (no CPU, no
 * accept), and its accept queue is filled: Linux holds backlog + 1 finished handshakes (sk_acceptq_is_full is
 * `>`), and with tcp_abort_on_overflow at its default 0 it drops further SYNs silently, so the next client keeps
 * retransmitting its SYN until it gives up — exactly what an unreachable host looks like to the dialler.
 */

export interface PendingConnect {
  url: string;
  close(): Promise<void>;
}

const BACKLOG = 1;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData);
const server = net.createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: ${BACKLOG} }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(flag, 0, 0);
  process.exit(0);
});
`;

export async function startPendingConnect(): Promise<PendingConnect> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: flag });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  for (let i = 0; i <= BACKLOG; i++) {
    const s = connect(port, '127.0.0.1');
    fillers.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
  }
  return {
    url: `http://127.0.0.1:${port}/openai`,
    async close() {
      for (const s of fillers) s.destroy();
      const f = new Int32Array(flag);
      Atomics.store(f, 0, 1);
      Atomics.notify(f, 0);
      await exited;
    },
  };
}
