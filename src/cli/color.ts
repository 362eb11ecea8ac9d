/**
 * Whether output is colored, decided in one place for every command: --color/--no-color when
 * given; else FORCE_COLOR (through chalk's own level) when set; else only when stdout is a
 * terminal and NO_COLOR is unset. Sets chalk's level accordingly and returns it.
 */
export async function colorLevel(flag?: boolean): Promise<number> {
  const { default: chalk } = await import('chalk');
  let level: number;
  if (flag === false) level = 0;
  else if (flag === true) level = Math.max(chalk.level, 1);
  else if (process.env.FORCE_COLOR !== undefined) level = chalk.level;
  else if (process.stdout.isTTY && !process.env.NO_COLOR) level = Math.max(chalk.level, 1);
  else level = 0;
  chalk.level = level as typeof chalk.level;
  return level;
}
