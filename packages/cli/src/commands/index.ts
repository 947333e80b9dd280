import type { Command } from './command.js';
import { baselineCommand } from './baseline.js';
import { configCommand } from './config.js';
import { dirCommand } from './dir.js';
import { gitCommand } from './git.js';
import { hookCommand } from './hook.js';
import { imageCommand } from './image.js';
import { mergeCommand } from './merge.js';
import { rulesCommand } from './rules.js';
import { stdinCommand } from './stdin.js';

/** Every CLI command, in help order. */
export const commands: readonly Command[] = [
  dirCommand,
  gitCommand,
  hookCommand,
  imageCommand,
  stdinCommand,
  rulesCommand,
  mergeCommand,
  baselineCommand,
  configCommand,
];
