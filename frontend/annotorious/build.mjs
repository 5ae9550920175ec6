// Build static/vendor/annotorious/annotorious-openseadragon.js: Annotorious + the eval-free PixiJS
// shader path (see entry.mjs), as a browser script exposing window.AnnotoriousOSD (#15).
// Usage: node frontend/annotorious/build.mjs NODE_MODULES OUTFILE   (install_assets.py runs it)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const [modules, outfile] = process.argv.slice(2);
const require = createRequire(path.join(modules, "noop.js"));
const esbuild = require("esbuild");
const here = path.dirname(new URL(import.meta.url).pathname);
const annotorious = path.join(modules, "@annotorious/openseadragon/dist/annotorious-openseadragon.es.js");

// PixiJS 7's ShaderSystem, as bundled (the class whose constructor runs systemCheck()).
const SHADER_SYSTEM = /class (\w+) \{\s*\/\*\* @param renderer - The renderer this System works for\. \*\/\s*constructor\(\w+\) \{\s*this\.destroyed = !1, this\.renderer = \w+, this\.systemCheck\(\)/g;

const mogao = {
  name: "mogao-annotorious",
  setup(build) {
    build.onResolve({ filter: /^openseadragon$/ }, () => ({ path: "openseadragon", namespace: "global" }));
    build.onLoad({ filter: /.*/, namespace: "global" }, () => ({ contents: "module.exports = window.OpenSeadragon;" }));
    build.onResolve({ filter: /^@annotorious\/openseadragon$/ }, () => ({ path: annotorious }));
    build.onResolve({ filter: /^@pixi\/unsafe-eval\/lib\/syncUniforms\.mjs$/ },
      () => ({ path: path.join(modules, "@pixi/unsafe-eval/lib/syncUniforms.mjs") }));
    build.onLoad({ filter: /annotorious-openseadragon\.es\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const found = [...source.matchAll(SHADER_SYSTEM)];
      if (found.length !== 1) {
        throw new Error(`expected one PixiJS ShaderSystem in ${args.path}, found ${found.length}: update build.mjs`);
      }
      return { contents: `${source}\nexport { ${found[0][1]} as __MogaoPixiShaderSystem };\n`, loader: "js" };
    });
  },
};

await esbuild.build({
  entryPoints: [path.join(here, "entry.mjs")],
  bundle: true,
  format: "iife",
  globalName: "AnnotoriousOSD",
  footer: { js: "AnnotoriousOSD = AnnotoriousOSD.default;" },
  minify: true,
  target: "es2020",
  legalComments: "eof",
  outfile,
  plugins: [mogao],
  logLevel: "warning",
});
