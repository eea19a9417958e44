// muzo's command line: the same core the browser runs, from Node.
export {};

// Each command lives in ./commands/<name>.ts and exports `run(args: string[]): Promise<number>` (the exit code).

const COMMANDS: Record<string, string> = {
  info: 'info <files|dirs>            one JSON line per file: name, format, duration, sample rate, channels, or the error',
  features: 'features <files|dirs> --out features.csv [--segment SECONDS]   GTZAN feature table (label = parent folder)',
  train: 'train <dir|features.csv> --out <model-dir> [--model mlp|logreg|knn|svm|cnn|ensemble] [--folds K] [--seed N]',
  classify: 'classify <model-dir> <files|dirs> --out predictions.csv',
  bench: 'bench                        speed figures as one JSON object',
};

function help(): string {
  return ['usage: muzo <command> [options]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(help());
    return 0;
  }
  if (!(command in COMMANDS)) {
    console.error(`muzo: unknown command '${command}'\n\n${help()}`);
    return 2;
  }
  const mod = (await import(`./commands/${command}.ts`)) as { run: (args: string[]) => Promise<number> };
  return mod.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
