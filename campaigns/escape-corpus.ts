import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { EscapeEnvironment } from "./escape-environment.ts";
import type { FlipState } from "./escape-link-flipper.ts";

/** One path trick: what it plants in the workspace, the path the model gives, and for races what flips. */
export interface EscapeAttack {
  category: string;
  name: string;
  path: (environment: EscapeEnvironment) => string;
  /** Plants links, pipes or sockets; may return a clean-up (a socket's server). */
  setup?: (environment: EscapeEnvironment) => undefined | (() => Promise<void>) | Promise<() => Promise<void>>;
  /** A swap raced against the tools: `ws/<name>` keeps changing between these states. */
  race?: (environment: EscapeEnvironment) => { name: string; states: FlipState[] };
}

const plain = (category: string, name: string, attackPath: (environment: EscapeEnvironment) => string) => ({
  category,
  name,
  path: attackPath,
});
const secretName = (environment: EscapeEnvironment) => path.basename(environment.secretFile);
const link = (name: string, to: (environment: EscapeEnvironment) => string) => (environment: EscapeEnvironment) => {
  const at = path.join(environment.root, name);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(to(environment), at);
  return undefined;
};
const symlinkAttack = (
  name: string,
  to: (environment: EscapeEnvironment) => string,
  attackPath: (environment: EscapeEnvironment) => string = () => "link",
  linkName = "link",
  category = "symlink",
): EscapeAttack => ({ category, name, setup: link(linkName, to), path: attackPath });
const deviceLink = (device: string) =>
  symlinkAttack(`link to ${device}`, () => device, undefined, "link", "special file");

const traversal: EscapeAttack[] = [
  plain("traversal", "..", () => ".."),
  plain("traversal", "../outside/secret", (environment) => `../outside/${secretName(environment)}`),
  plain("traversal", "sub/../../outside/secret", (environment) => `sub/../../outside/${secretName(environment)}`),
  plain("traversal", "./../outside", () => "./../outside"),
  plain("traversal", "deep ../ chain", () => "sub/x/../../../../../../../../etc/passwd"),
  plain("traversal", "../ws/../outside", () => "../ws/../outside/dir"),
  plain("traversal", "../home/config.json", () => "../home/config.json"),
  plain("traversal", "backslashes ..\\..", (environment) => `..\\outside\\${secretName(environment)}`),
  plain("traversal", "....//", () => "....//....//outside"),
  plain("traversal", "trailing /..", () => "sub/../.."),
];

const absolute: EscapeAttack[] = [
  plain("absolute", "/etc/passwd", () => "/etc/passwd"),
  plain("absolute", "absolute outside file", (environment) => environment.secretFile),
  plain("absolute", "absolute into the workspace then out", (environment) => `${environment.root}/../outside`),
  plain("absolute", "//outside", (environment) => `/${environment.outside}`),
  plain("absolute", "/proc/self/root", () => "/proc/self/root/etc/passwd"),
  plain("absolute", "absolute $TANSUO_HOME config", (environment) => environment.homeConfig),
  plain("absolute", "file:// URL", (environment) => `file://${environment.secretFile}`),
  plain("absolute", "~ home", () => "~/.ssh/id_rsa"),
];

const encoding: EscapeAttack[] = [
  plain("encoding", "%2e%2e/", (environment) => `%2e%2e/outside/${secretName(environment)}`),
  plain("encoding", "%2e%2e%2f", () => "%2e%2e%2foutside"),
  plain("encoding", "..%2f", () => "..%2f..%2foutside"),
  plain("encoding", "double-encoded %252e", () => "%252e%252e/outside"),
  plain("encoding", "overlong UTF-8 %c0%ae", () => "%c0%ae%c0%ae/outside"),
  plain("encoding", "one dot leader U+2024", () => "\u2024\u2024/outside"),
  plain("encoding", "two dot leader U+2025", () => "\u2025/outside"),
  plain("encoding", "fullwidth full stop U+FF0E", () => "\uff0e\uff0e/outside"),
  plain("encoding", "division slash U+2215", () => "..\u2215outside"),
  plain("encoding", "fullwidth solidus U+FF0F", () => "..\uff0foutside"),
  plain("encoding", "NUL byte", (environment) => `inside.txt\0/../../outside/${secretName(environment)}`),
  plain("encoding", "NUL before ..", () => "..\0/outside"),
  plain("encoding", "%00", () => "inside.txt%00../../outside"),
  plain("encoding", "combining dot", () => ".\u0307./outside"),
];

const symlink: EscapeAttack[] = [
  symlinkAttack("absolute link to an outside file", (environment) => environment.secretFile),
  symlinkAttack("relative link to an outside file", (environment) => `../outside/${secretName(environment)}`),
  symlinkAttack(
    "link to an outside folder, path into it",
    (environment) => environment.outsideFolder,
    () => "link/x.txt",
  ),
  symlinkAttack("dangling link out", (environment) => path.join(environment.outside, "created.txt")),
  symlinkAttack("dangling link inside", () => "missing.txt"),
  symlinkAttack("dangling link to a missing folder out", (environment) => path.join(environment.outside, "new/")),
  {
    category: "symlink",
    name: "chain inside then out",
    setup: (environment) => {
      symlinkSync(environment.secretFile, path.join(environment.root, "hop2"));
      symlinkSync("hop2", path.join(environment.root, "hop1"));
      symlinkSync("hop1", path.join(environment.root, "link"));
      return undefined;
    },
    path: () => "link",
  },
  {
    category: "symlink",
    name: "loop",
    setup: (environment) => {
      symlinkSync("loop-b", path.join(environment.root, "loop-a"));
      symlinkSync("loop-a", path.join(environment.root, "loop-b"));
      return undefined;
    },
    path: () => "loop-a",
  },
  symlinkAttack("self loop", () => "link"),
  symlinkAttack(
    "link to /proc/self/root",
    () => "/proc/self/root",
    () => "link/etc/passwd",
  ),
  symlinkAttack("link through /proc/self/root to outside", (environment) => `/proc/self/root${environment.secretFile}`),
  symlinkAttack(
    "link to /proc/self/cwd",
    () => "/proc/self/cwd",
    () => "link/package.json",
  ),
  symlinkAttack(
    "link to /",
    () => "/",
    () => "link/etc",
  ),
  symlinkAttack("link to /etc/passwd", () => "/etc/passwd"),
  symlinkAttack(
    "parent folder linked out",
    (environment) => environment.outsideFolder,
    () => "sub/linked/new.txt",
    "sub/linked",
  ),
  symlinkAttack(
    "link climbing with ..",
    () => "../../outside",
    (environment) => `sub/up/${secretName(environment)}`,
    "sub/up",
  ),
  symlinkAttack(
    "link to the workspace's parent",
    () => "..",
    (environment) => `link/outside/${secretName(environment)}`,
  ),
  symlinkAttack(
    "link to an outside file named like an inside one",
    (environment) => environment.secretFile,
    () => "inside-copy.txt",
    "inside-copy.txt",
  ),
];

const hardLink: EscapeAttack[] = [
  {
    category: "hard link",
    name: "hard link to an outside file",
    setup: (environment) => {
      linkSync(environment.secretFile, path.join(environment.root, "hard.txt"));
      return undefined;
    },
    path: () => "hard.txt",
  },
  {
    category: "hard link",
    name: "hard link to $TANSUO_HOME's config",
    setup: (environment) => {
      linkSync(environment.homeConfig, path.join(environment.root, "sub", "config.json"));
      return undefined;
    },
    path: () => "sub/config.json",
  },
  {
    category: "hard link",
    name: "symlink to a hard link",
    setup: (environment) => {
      linkSync(environment.secretFile, path.join(environment.root, "hard.txt"));
      symlinkSync("hard.txt", path.join(environment.root, "soft.txt"));
      return undefined;
    },
    path: () => "soft.txt",
  },
];

const special: EscapeAttack[] = [
  {
    category: "special file",
    name: "FIFO in the workspace",
    setup: (environment) => {
      execFileSync("mkfifo", [path.join(environment.root, "pipe")]);
      return undefined;
    },
    path: () => "pipe",
  },
  {
    category: "special file",
    name: "FIFO in a sub-folder, found by a walk",
    setup: (environment) => {
      execFileSync("mkfifo", [path.join(environment.root, "sub", "pipe")]);
      return undefined;
    },
    path: () => "sub",
  },
  {
    category: "special file",
    name: "unix socket",
    setup: async (environment) => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path.join(environment.root, "socket"), resolve));
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    },
    path: () => "socket",
  },
  deviceLink("/dev/zero"),
  deviceLink("/dev/urandom"),
  deviceLink("/dev/stdin"),
  deviceLink("/dev/tty"),
  deviceLink("/proc/self/fd/0"),
  deviceLink("/proc/self/environ"),
];

const hidden: EscapeAttack[] = [
  plain("hidden", "hidden folder inside the workspace", () => ".tansuo"),
  plain("hidden", "hidden key file", (environment) => `.tansuo/${path.basename(environment.hiddenConfig)}`),
  plain(
    "hidden",
    "hidden file via ./ and ..",
    (environment) => `sub/../.tansuo/./${path.basename(environment.hiddenConfig)}`,
  ),
  plain("hidden", "new file in the hidden folder", () => ".tansuo/new.json"),
  symlinkAttack(
    "link to the hidden folder",
    () => ".tansuo",
    (environment) => `link/${path.basename(environment.hiddenConfig)}`,
    "link",
    "hidden",
  ),
  symlinkAttack(
    "absolute link to the hidden key file",
    (environment) => environment.hiddenConfig,
    undefined,
    "link",
    "hidden",
  ),
  symlinkAttack(
    "link to $TANSUO_HOME",
    (environment) => environment.home,
    () => "link/config.json",
    "link",
    "hidden",
  ),
  {
    category: "hidden",
    name: "hidden folder found by a walk from the root",
    setup: (environment) => {
      writeFileSync(path.join(environment.root, "sub", "decoy.txt"), "decoy old\n");
      return undefined;
    },
    path: () => ".",
  },
];

const race: EscapeAttack[] = [
  {
    category: "race",
    name: "file swapped for a link out",
    path: () => "race",
    race: (environment) => ({
      name: "race",
      states: [
        { kind: "file", content: "inside old\n" },
        { kind: "link", to: environment.secretFile },
      ],
    }),
  },
  {
    category: "race",
    name: "absent, then a dangling link out",
    path: () => "race",
    race: (environment) => ({
      name: "race",
      states: [{ kind: "absent" }, { kind: "link", to: path.join(environment.outside, "created.txt") }],
    }),
  },
  {
    category: "race",
    name: "parent folder swapped for a link out",
    path: () => "race/plain.txt",
    race: (environment) => ({
      name: "race",
      states: [
        { kind: "folder", file: "plain.txt", content: "inside old\n" },
        { kind: "link", to: environment.outsideFolder },
      ],
    }),
  },
];

/** Every attack, by category. Each runs against every file tool. */
export const escapeCorpus: readonly EscapeAttack[] = [
  ...traversal,
  ...absolute,
  ...encoding,
  ...symlink,
  ...hardLink,
  ...special,
  ...hidden,
  ...race,
];
