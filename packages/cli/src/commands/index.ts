import type { Command } from './command.js';
import { baselineCommand } from './baseline.js';
import { configCommand } from './config.js';
import { dirCommand } from './dir.js';
import { gitCommand } from './git.js';
import { hookCommand } from './hook.js';
import { imageCommand } from './image.js';
import { logsCommand } from './logs.js';
import { mergeCommand } from './merge.js';
import { redactCommand } from './redact.js';
import { rulesCommand } from './rules.js';
import { stdinCommand } from './stdin.js';

/** Every CLI command, in help order. */
export const commands: readonly Command[] = [
  dirCommand,
  gitCommand,
  hookCommand,
  imageCommand,
  stdinCommand,
  logsCommand,
  redactCommand,
  rulesCommand,
  mergeCommand,
  baselineCommand,
  configCommand,
];
