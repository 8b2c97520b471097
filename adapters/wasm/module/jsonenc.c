/*
 * json.encode for the compiled module, in C: the rules of the Lua engine's
 * json module (adapters/lua/json.go), which follow the json.lua aos ships:
 * numbers print with %.14g (NaN and infinities are errors), an empty table
 * encodes as [], a table whose key 1 is set is an array and must be dense,
 * any other table is an object whose keys must all be strings, written in
 * byte order. Written in Lua it cost some 200 instructions a value; its
 * work is counted as the module's other C code is, by its loop iterations.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "jsonenc.h"

#define MAX_DEPTH 1000

/* buffer is the output, kept in a userdata whose __gc frees it: an error
 * raised halfway (a longjmp) leaks nothing. luaL_Buffer cannot be used,
 * since encoding pushes values between additions. */
struct buffer {
  char *p;
  size_t n, cap;
};

struct encoder {
  lua_State *L;
  struct buffer *b;
  int seen; /* stack index of the table of tables being encoded */
  int depth;
};

static int buffer_gc(lua_State *L) {
  struct buffer *b = lua_touserdata(L, 1);
  free(b->p);
  b->p = NULL;
  return 0;
}

static void add(struct encoder *e, const char *s, size_t n) {
  struct buffer *b = e->b;
  if (b->cap - b->n < n) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n < n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
      lua_pushliteral(e->L, "not enough memory");
      lua_error(e->L);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void addchar(struct encoder *e, char c) { add(e, &c, 1); }
static void addstring(struct encoder *e, const char *s) { add(e, s, strlen(s)); }

/* fail raises msg with the position of the Lua code that called encode,
 * as the Lua engine's json does. */
static void fail(lua_State *L, const char *msg) {
  luaL_where(L, 1);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  lua_error(L);
}

static void encode_string(struct encoder *e, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  addchar(e, '"');
  size_t run = 0; /* bytes copied as they are, added in one go */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[7];
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = 0;
          esc = u;
        }
    }
    if (esc == NULL) {
      run++;
      continue;
    }
    add(e, s + i - run, run);
    run = 0;
    addstring(e, esc);
  }
  add(e, s + n - run, run);
  addchar(e, '"');
}

struct key {
  const char *s;
  size_t n;
};

static int compare_keys(const void *a, const void *b) {
  const struct key *x = a, *y = b;
  size_t n = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->s, y->s, n);
  if (c != 0) return c;
  return x->n < y->n ? -1 : x->n > y->n;
}

static void encode_value(struct encoder *e, int idx);

/* encode_table encodes the table at idx (an absolute index). */
static void encode_table(struct encoder *e, int idx) {
  lua_State *L = e->L;
  lua_pushvalue(L, idx);
  if (lua_rawget(L, e->seen) != LUA_TNIL) fail(L, "circular reference");
  lua_pop(L, 1);
  if (e->depth >= MAX_DEPTH) fail(L, "json.encode: tables nested more than 1000 deep");
  luaL_checkstack(L, 8, "json.encode");
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, e->seen);
  e->depth++;

  int first_nil = lua_rawgeti(L, idx, 1) == LUA_TNIL;
  lua_pop(L, 1);
  lua_pushnil(L);
  int empty = lua_next(L, idx) == 0;
  if (!empty) lua_pop(L, 2);
  if (!first_nil || empty) {
    /* An array: every key a positive integer, no holes. */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
      lua_pop(L, 1);
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) fail(L, "invalid table: mixed or invalid key types");
      n++;
    }
    if ((lua_Unsigned)n != lua_rawlen(L, idx)) fail(L, "invalid table: sparse array");
    addchar(e, '[');
    for (lua_Integer i = 1; i <= n; i++) {
      if (i > 1) addchar(e, ',');
      lua_rawgeti(L, idx, i);
      encode_value(e, lua_gettop(L));
      lua_pop(L, 1);
    }
    addchar(e, ']');
  } else {
    /* Count and check the keys, then keep them in a userdata (collected
     * even when an error leaves halfway) and sort them. */
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
      lua_pop(L, 1);
      if (lua_type(L, -1) != LUA_TSTRING) fail(L, "invalid table: mixed or invalid key types");
      count++;
    }
    struct key *keys = lua_newuserdata(L, count * sizeof *keys);
    int keys_idx = lua_gettop(L);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
      lua_pop(L, 1);
      /* The key string stays alive: the table holds it. */
      keys[i].s = lua_tolstring(L, -1, &keys[i].n);
      i++;
    }
    qsort(keys, count, sizeof *keys, compare_keys);
    addchar(e, '{');
    for (i = 0; i < count; i++) {
      if (i > 0) addchar(e, ',');
      encode_string(e, keys[i].s, keys[i].n);
      addchar(e, ':');
      lua_pushlstring(L, keys[i].s, keys[i].n);
      lua_rawget(L, idx);
      encode_value(e, lua_gettop(L));
      lua_pop(L, 1);
    }
    addchar(e, '}');
    lua_remove(L, keys_idx);
  }
  e->depth--;
  lua_pushvalue(L, idx);
  lua_pushnil(L);
  lua_rawset(L, e->seen);
}

static void encode_value(struct encoder *e, int idx) {
  lua_State *L = e->L;
  char num[64];
  switch (lua_type(L, idx)) {
    case LUA_TNIL: addstring(e, "null"); break;
    case LUA_TBOOLEAN: addstring(e, lua_toboolean(L, idx) ? "true" : "false"); break;
    case LUA_TNUMBER: {
      double d = (double)lua_tonumber(L, idx);
      if (isnan(d) || isinf(d)) {
        /* Named as the Lua engine names them, whatever the sign of a NaN. */
        snprintf(num, sizeof num, "%s", isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
        luaL_where(L, 1);
        lua_pushfstring(L, "unexpected number value '%s'", num);
        lua_concat(L, 2);
        lua_error(L);
      }
      snprintf(num, sizeof num, "%.14g", d);
      addstring(e, num);
      break;
    }
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, idx, &n);
      encode_string(e, s, n);
      break;
    }
    case LUA_TTABLE: encode_table(e, idx); break;
    default:
      luaL_where(L, 1);
      lua_pushfstring(L, "unexpected type '%s'", luaL_typename(L, idx));
      lua_concat(L, 2);
      lua_error(L);
  }
}

/* encode(value) -> string. */
static int json_encode(lua_State *L) {
  lua_settop(L, 1);
  lua_newtable(L); /* 2: seen */
  struct buffer *b = lua_newuserdata(L, sizeof *b); /* 3 */
  b->p = NULL;
  b->n = b->cap = 0;
  luaL_setmetatable(L, "mostao.jsonbuffer");
  struct encoder e = {L, b, 2, 0};
  encode_value(&e, 1);
  lua_pushlstring(L, b->p ? b->p : "", b->n);
  free(b->p);
  b->p = NULL;
  return 1;
}

int mostao_open_jsonc(lua_State *L) {
  luaL_newmetatable(L, "mostao.jsonbuffer");
  lua_pushcfunction(L, buffer_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, json_encode);
  lua_setfield(L, -2, "encode");
  return 1;
}
