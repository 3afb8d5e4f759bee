// Plain JS on purpose: this must run, and fail clearly, even on the machine's old Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `callbridge needs Node 24 or newer, but this command ran on Node ${process.versions.node}.\n` +
      'Run it through npm (npm test, npm start, npm run ...) after "npm ci": the pinned Node 24 in\n' +
      'node_modules is used then. "npm ci --ignore-scripts" skips its install and falls back to the system Node.',
  );
  process.exit(1);
}
