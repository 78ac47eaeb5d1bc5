/**
 * One addition to tfjs-node's binding, applied to its sources before they are built:
 * `addFunctionDef(bytes)` registers a serialized TensorFlow FunctionDef with the binding's
 * eager context, after which `executeOp(name, ...)` runs the whole function as one op. The lab
 * compiles a training step into such a function: TensorFlow's graph executor then runs its
 * ~100 kernels without a trip through JavaScript for each. Idempotent: sources already
 * patched are left as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bump when the patch changes: it names the binding's cache folder. */
export const bindingPatchVersion = 1;
const marker = 'aelab: addFunctionDef';

const declaration = `
  // ${marker}
  void AddFunctionDef(napi_env env, napi_value serialized_function_def);

 private:
  TFJSBackend(napi_env env);`;

const definition = `
// ${marker}
namespace tfnodejs {
void TFJSBackend::AddFunctionDef(napi_env env, napi_value serialized_function_def) {
  ENSURE_VALUE_IS_TYPED_ARRAY(env, serialized_function_def);
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  napi_status nstatus = napi_get_typedarray_info(env, serialized_function_def, &type, &length, &data, &buffer, &offset);
  ENSURE_NAPI_OK(env, nstatus);
  if (type != napi_uint8_array) {
    NAPI_THROW_ERROR(env, "addFunctionDef expects a Uint8Array");
    return;
  }
  TF_AutoStatus tf_status;
  TFE_ContextAddFunctionDef(tfe_context_, static_cast<const char *>(data), length, tf_status.status);
  ENSURE_TF_OK(env, tf_status);
}
}  // namespace tfnodejs
`;

const entryPoint = `
// ${marker}
static napi_value AddFunctionDef(napi_env env, napi_callback_info info) {
  napi_status nstatus;
  size_t argc = 1;
  napi_value args[1];
  napi_value js_this;
  nstatus = napi_get_cb_info(env, info, &argc, args, &js_this, nullptr);
  ENSURE_NAPI_OK_RETVAL(env, nstatus, nullptr);
  if (argc < 1) {
    NAPI_THROW_ERROR(env, "addFunctionDef takes the serialized FunctionDef");
    return nullptr;
  }
  TFJSBackend *const backend = GetTFJSBackend(env);
  if (!backend) return nullptr;
  backend->AddFunctionDef(env, args[0]);
  return nullptr;
}

/**
 * Called by Node to cleanup`;

function patchFile(path, edits, appended = '') {
  const source = readFileSync(path, 'utf8');
  if (source.includes(marker)) return;
  let patched = source + appended;
  for (const [find, replace] of edits) {
    if (!patched.includes(find)) throw new Error(`${path}: the text this patch expects is not there (${JSON.stringify(find.slice(0, 40))})`);
    patched = patched.replace(find, replace);
  }
  writeFileSync(path, patched);
}

export function patchBindingSources(packageDir) {
  const binding = join(packageDir, 'binding');
  patchFile(join(binding, 'tfjs_backend.h'), [['\n private:\n  TFJSBackend(napi_env env);', declaration]]);
  patchFile(join(binding, 'tfjs_backend.cc'), [], definition);
  patchFile(join(binding, 'tfjs_binding.cc'), [
    ['\n/**\n * Called by Node to cleanup', entryPoint],
    ['{"executeOp", nullptr, ExecuteOp,', '{"addFunctionDef", nullptr, AddFunctionDef, nullptr, nullptr, nullptr, napi_default, nullptr},\n      {"executeOp", nullptr, ExecuteOp,'],
  ]);
}
