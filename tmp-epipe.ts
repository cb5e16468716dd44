import { readFileSync } from 'node:fs';
import { startPostgres } from './tests/setup/postgres-server';
import { startApp } from './tests/setup/app-server';
const pg = await startPostgres({});
const app = await startApp({ SEED: '0', DATABASE_URL: pg.createDatabase('kb_epipe'), COLLAB_PROCESS: '1' });
const cpu = () => readFileSync(`/proc/${app.child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((s, t) => s + Number(t) * 10, 0);
await fetch(`${app.url}/wiki/nothing`); await fetch(`${app.url}/api/health`);
app.child.stdout!.destroy(); app.child.stderr!.destroy();
pg.stop();
await new Promise((r) => setTimeout(r, 300));
app.child.kill('SIGTERM');
for (let i = 0; i < 8; i++) { const b = cpu(); await new Promise((r) => setTimeout(r, 1000)); console.log('cpu ms/s', cpu() - b, 'exit', app.child.exitCode, app.child.signalCode); if (app.child.exitCode !== null) break; }
app.child.kill('SIGKILL');
