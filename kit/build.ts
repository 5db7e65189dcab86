/**
 * `npm run build:kit`: builds @lectern/playwright into dist/kit (plain ESM JavaScript + .d.ts + package.json), from
 * this repository's own shared zod schemas and upload client, so it cannot drift from the app. `npm run pack:kit`
 * then turns it into dist/lectern-playwright.tgz. esbuild bundles everything but Playwright (a peer dependency) and
 * @ffmpeg-installer/ffmpeg (a dependency); tsc writes the declarations, which must stand alone.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist", "kit");
const typesOut = path.join(root, "dist", "kit-types");
const run = promisify(execFile);

const rootPackage = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
  version: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const EXTERNAL = ["@playwright/test", "@ffmpeg-installer/ffmpeg"];

await rm(out, { recursive: true, force: true });
await rm(typesOut, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: [path.join(root, "kit/src/index.ts")],
  outfile: path.join(out, "index.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  tsconfig: path.join(root, "tsconfig.json"),
  external: EXTERNAL,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});
const bundled = Object.keys(result.metafile.inputs);
for (const forbidden of ["server-only", "db/", "next/", "postgres", "@aws-sdk"]) {
  const hit = bundled.find((input) => input.includes(`node_modules/${forbidden}`) || input.startsWith(forbidden));
  if (hit) throw new Error(`The kit must not bundle server code: ${hit} came in.`);
}

// Declarations: tsc over the kit's entry; only the kit's own files ship, and they must not refer to the app's modules.
await run(process.execPath, [
  path.join(root, "node_modules/typescript/bin/tsc"),
  "-p", path.join(root, "kit/tsconfig.build.json"),
]).catch((error: { stdout?: string; stderr?: string }) => {
  throw new Error(`tsc (declarations) failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
});
const shipped = new Set<string>();
const visit = async (relative: string) => {
  if (shipped.has(relative)) return;
  shipped.add(relative);
  const text = await readFile(path.join(typesOut, "kit/src", relative), "utf8");
  for (const [, specifier = ""] of text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) {
    if (specifier.startsWith(".")) {
      if (specifier.startsWith("../")) throw new Error(`${relative} refers to ${specifier}, outside the kit: keep the public types in kit/src/types.ts.`);
      await visit(path.join(path.dirname(relative), `${specifier.replace(/\.js$/, "")}.d.ts`));
    } else if (!EXTERNAL.includes(specifier) && !specifier.startsWith("node:")) {
      throw new Error(`${relative} refers to ${specifier}, which a suite does not have: keep the public types in kit/src/types.ts.`);
    }
  }
};
await visit("index.d.ts");
for (const file of shipped) {
  await mkdir(path.dirname(path.join(out, file)), { recursive: true });
  await cp(path.join(typesOut, "kit/src", file), path.join(out, file));
}
await rm(typesOut, { recursive: true, force: true });

const ffmpegInstaller = rootPackage.dependencies["@ffmpeg-installer/ffmpeg"];
const playwright = rootPackage.devDependencies["@playwright/test"];
if (!ffmpegInstaller || !playwright) throw new Error("package.json no longer lists @ffmpeg-installer/ffmpeg or @playwright/test.");
await writeFile(
  path.join(out, "package.json"),
  `${JSON.stringify(
    {
      name: "@lectern/playwright",
      version: rootPackage.version,
      description: "Playwright fixtures for Lectern: courses, users, fixture videos, uploads (API or UI), storage faults and page objects.",
      type: "module",
      exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
      main: "./index.js",
      types: "./index.d.ts",
      files: ["**/*.js", "**/*.d.ts", "README.md"],
      engines: { node: rootPackage.engines.node },
      peerDependencies: { "@playwright/test": `^${playwright.split(".").slice(0, 2).join(".")}.0` },
      dependencies: { "@ffmpeg-installer/ffmpeg": ffmpegInstaller },
    },
    null,
    2,
  )}\n`,
);
await cp(path.join(root, "kit/README.md"), path.join(out, "README.md"));
console.log(`@lectern/playwright ${rootPackage.version} in ${path.relative(root, out)}: ${[...shipped].length} declaration files, bundle from ${bundled.length} modules`);
