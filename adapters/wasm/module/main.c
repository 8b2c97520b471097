/*
 * The entry point of the MostAO AO module: Lua 5.3 plus the runtime shared
 * with the Lua engine, behind the exports an aos module has. main boots a
 * Lua state; handle(msgJSON, envJSON) returns the {"ok", "response"} JSON
 * text. The Lua sources are compiled into the binary by
 * scripts/build-wasm-module.sh (sources.h), so the module needs no file
 * system.
 */
#include <stdlib.h>
#include <string.h>

#include <emscripten.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "jsonenc.h"
#include "sources.h"

static lua_State *L = NULL;
static int handle_ref = LUA_NOREF;
static int setup_ref = LUA_NOREF;
/* The last result, kept until the next call so the host can read it. */
static char *result = NULL;

/* Work is counted by the engine, not here: it adds a count of loop
 * iterations to every loop of the module (adapters/wasm/interrupt.go), which
 * sees the C library's loops too. */

static const char boot_failed[] =
    "{\"ok\":false,\"response\":{\"Error\":\"runtime crash: the module did not boot\"}}";
static const char out_of_memory[] =
    "{\"ok\":false,\"response\":{\"Error\":\"runtime crash: not enough memory\"}}";

/* Libraries a process may use: no io (a process has no files). */
static const luaL_Reg libs[] = {
    {"_G", luaopen_base},
    {LUA_LOADLIBNAME, luaopen_package},
    {LUA_COLIBNAME, luaopen_coroutine},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {LUA_OSLIBNAME, luaopen_os},
    {LUA_DBLIBNAME, luaopen_debug},
    /* aos is built with LUA_COMPAT_5_2, as this module is: bit32 is there. */
    {LUA_BITLIBNAME, luaopen_bit32},
    {NULL, NULL},
};

/* Names removed from the globals, as the Lua engine removes them: nothing
 * reaches the host's files, processes or environment. */
static const char *const os_removed[] = {"execute", "exit", "getenv", "remove",
                                         "rename", "setlocale", "tmpname", NULL};

static int boot(void) {
  L = luaL_newstate();
  if (L == NULL) return 0;
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  lua_setglobal(L, "dofile");
  lua_pushnil(L);
  lua_setglobal(L, "loadfile");
  lua_getglobal(L, "os");
  for (const char *const *n = os_removed; *n; n++) {
    lua_pushnil(L);
    lua_setfield(L, -2, *n);
  }
  lua_pop(L, 1);
  /* No debug.sethook, as on the Lua engine, where the count hook is the
   * work budget. */
  lua_getglobal(L, "debug");
  lua_pushnil(L);
  lua_setfield(L, -2, "sethook");
  lua_pop(L, 1);

  /* Modules come only from package.preload. */
  lua_getglobal(L, "package");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, mostao_open_jsonc);
  lua_setfield(L, -2, ".jsonc");
  for (int i = 0; i < mostao_source_count; i++) {
    const struct mostao_source *s = &mostao_sources[i];
    if (luaL_loadbufferx(L, (const char *)s->text, s->len, s->chunk, "t") != LUA_OK) return 0;
    lua_setfield(L, -2, s->name);
  }
  lua_pop(L, 2);

  lua_getglobal(L, "require");
  lua_pushliteral(L, ".mostao");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) return 0;
  lua_getfield(L, -1, "setup");
  setup_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_getfield(L, -1, "handle");
  handle_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  return 1;
}

/* setup gives the process its code before its first message (an export of
 * this module only; aos modules have their code built in or take it by
 * On-Boot or Eval). The code runs with the spawn message, after the process
 * is booted and inside the runtime's error boundary, as the Lua engine runs
 * a module's source; a source that does not compile fails that message.
 * Returns 0 when the module did not boot. */
EMSCRIPTEN_KEEPALIVE
int setup(const char *name, const char *source) {
  if (L == NULL) return 0;
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, setup_ref);
  lua_pushstring(L, name);
  lua_pushstring(L, source);
  int ok = lua_pcall(L, 2, 0, 0) == LUA_OK;
  lua_settop(L, top);
  return ok;
}

int main(void) {
  if (!boot()) {
    if (L) lua_close(L);
    L = NULL;
    return 1;
  }
  return 0;
}

EMSCRIPTEN_KEEPALIVE
const char *handle(const char *msg, const char *env) {
  if (L == NULL) return boot_failed;
  free(result);
  result = NULL;
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, handle_ref);
  lua_pushstring(L, msg);
  lua_pushstring(L, env);
  /* The envelope catches every error of the runtime itself; what reaches
   * this pcall is the engine failing (memory exhausted while encoding). */
  if (lua_pcall(L, 2, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
    lua_settop(L, top);
    lua_gc(L, LUA_GCCOLLECT, 0);
    return out_of_memory;
  }
  size_t n;
  const char *s = lua_tolstring(L, -1, &n);
  result = malloc(n + 1);
  if (result == NULL) {
    lua_settop(L, top);
    return out_of_memory;
  }
  memcpy(result, s, n + 1);
  lua_settop(L, top);
  return result;
}
