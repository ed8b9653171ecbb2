// cac's help, as a user reads it. cac has no nested commands, so multi-word commands are registered as one token
// (`websocket:connections:list`, see registry.ts); the help shows the words the user types instead, and replaces
// cac's list of one `--help` line per command with a single line.

import { commandName, type CommandDef } from './registry.ts';

interface HelpSection {
  title?: string;
  body: string;
}

export function userFacingHelp(sections: HelpSection[], commands: CommandDef[]): HelpSection[] {
  const words = new Map(commands.filter((c) => c.path.length > 1).map((c) => [commandName(c.path), c.path.join(' ')]));
  // Longest names first, so `logs:clear` is never half-replaced by a shorter name it starts with.
  const names = [...words.keys()].sort((a, b) => b.length - a.length);
  const toWords = (text: string) => names.reduce((out, name) => out.split(name).join(words.get(name)!), text);
  return sections.map((section) => {
    if (section.title?.startsWith('For more info')) return { title: 'For more info', body: '  $ mockd <command> --help' };
    // `:` and ` ` have the same width, so cac's column alignment holds.
    return { title: section.title, body: toWords(section.body) };
  });
}
