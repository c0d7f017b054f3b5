import { createServer } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `Port ${port} is already in use. Set ${variable} to use another port (for example ${variable}=${port + 10}).`,
    );
    this.name = 'PortInUseError';
  }
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/** Fails with a message naming the port and the variable that changes it. */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  if (!(await canListen(port, host))) throw new PortInUseError(port, variable);
}

/** A port the OS says is free now; tests use these so they never collide with a running system. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

export async function waitForPort(
  port: number,
  host: string,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolvePromise) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise(true);
      });
      socket.once('error', () => resolvePromise(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not open ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
