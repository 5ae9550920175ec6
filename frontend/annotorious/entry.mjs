// Annotorious for OpenSeadragon that runs under Mogao's strict Content-Security-Policy (#15).
//
// Annotorious 3 draws with PixiJS 7, which compiles its WebGL uniform uploads with `new Function`
// and refuses to start where `eval` is forbidden. PixiJS's own answer is @pixi/unsafe-eval: it
// replaces ShaderSystem.systemCheck and ShaderSystem.syncUniforms with an eval-free version. Its
// automatic install cannot reach the copy of PixiJS that @annotorious/openseadragon bundles inside
// its build, so build.mjs exports that copy's ShaderSystem (as __MogaoPixiShaderSystem) and this
// entry applies the same two replacements to it, with @pixi/unsafe-eval's syncUniforms.
import * as Annotorious from "@annotorious/openseadragon";
import { __MogaoPixiShaderSystem as ShaderSystem } from "@annotorious/openseadragon";
import { syncUniforms } from "@pixi/unsafe-eval/lib/syncUniforms.mjs";

Object.assign(ShaderSystem.prototype, {
  systemCheck() {},
  syncUniforms(group, glProgram) {
    const { shader, renderer } = this;
    syncUniforms(group, shader.program.uniformData, glProgram.uniformData, group.uniforms, renderer);
  },
});

const api = { ...Annotorious };
delete api.__MogaoPixiShaderSystem;
export default api;
