// The AWS SDK warns at every start that its 2027 releases need Node 22 (the Lambda runtime is
// nodejs22.x; development machines may run Node 20). Print every other process warning as usual.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  const isNodeVersionNotice = `${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning');
  if (!isNodeVersionNotice) console.warn(`${warning.name}: ${warning.message}`);
});
