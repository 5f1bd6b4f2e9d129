import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The `file` of the built-in demo config in messages and `mailtel check`. */
export const DEMO_FILE = '(built-in demo)';

/**
 * The config used when there is no `--config` and no ./mailtel.toml: synthetic events at a lively
 * rate, an info log tracer in a temp directory and a console tracer for warnings. It is plain
 * TOML and goes through the same parser as a user's file.
 */
export function demoConfigText(dir: string = join(tmpdir(), 'mailtel-demo')): string {
  return `# mailtel built-in demo: synthetic Stalwart events, nothing leaves this machine.

[source.demo]
type = "demo"
rate = 40

[tracer.log]
type = "log"
level = "info"
path = ${JSON.stringify(dir)}
prefix = "stalwart"
rotate = "daily"

[tracer.console]
type = "console"
level = "warn"

[metrics.open-telemetry]
transport = "disable"
`;
}
