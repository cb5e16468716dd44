import net from 'node:net';
import { writeFileSync } from 'node:fs';
const durs = [];
const { write } = net.Socket.prototype;
net.Socket.prototype.write = function (chunk, ...rest) {
  const t0 = process.hrtime.bigint();
  const r = write.call(this, chunk, ...rest);
  const d = Number(process.hrtime.bigint() - t0) / 1000;
  durs.push([Number(t0 / 1000n), d, this.remotePort ?? 0, chunk?.length ?? 0]);
  return r;
};
process.on('exit', () => writeFileSync(`/tmp/st/wtime.${process.pid}`, durs.map((x) => x.join(' ')).join('\n')));
