import { handshakeProblem, servePlugin } from './go-plugin.js';

// The provider executable Terraform starts (bundled as terraform-provider-lacework-auth).
function main(): void {
  const problem = handshakeProblem(process.env);
  if (problem) {
    process.stderr.write(problem);
    process.exit(1);
  }
  // go-plugin plugins ignore interrupts: Terraform forwards Ctrl-C as StopProvider, then asks
  // the plugin to exit through the controller.
  process.on('SIGINT', () => {});
  servePlugin({ onShutdown: () => process.exit(0) }).then(
    (server) => {
      process.on('SIGTERM', () => {
        server.close().finally(() => process.exit(0));
      });
      process.stdout.write(`${server.handshake}\n`);
    },
    (error: unknown) => {
      process.stderr.write(
        `lacework-auth provider failed to start: ${(error as Error)?.message}\n`,
      );
      process.exit(1);
    },
  );
}

main();
