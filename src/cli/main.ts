#!/usr/bin/env node
/**
 * The `fisherd` command. Each subcommand lives in its own module and registers itself on the program.
 */
import { Command } from 'commander';
import { FISHERD_VERSION } from '../version.js';
import { registerServe } from './serve.js';
import { registerTraceCommands } from './trace.js';
import { registerReplayCommand } from './replay.js';
import { registerLabCommands } from './lab.js';

const program = new Command('fisherd')
  .description('Streaming optimizer daemon: Fisher, empirical Fisher and noise estimates, NGD/EFGD/SNR/VA updates')
  .version(FISHERD_VERSION);

registerServe(program);
registerTraceCommands(program);
registerReplayCommand(program);
registerLabCommands(program);

await program.parseAsync(process.argv);
