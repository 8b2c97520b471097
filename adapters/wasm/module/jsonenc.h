/* The parts of the module the C json encoder shares with main.c. */
#ifndef MOSTAO_JSONENC_H
#define MOSTAO_JSONENC_H

#include "lua.h"

/* mostao_open_jsonc opens require(".jsonc"): {encode = ...}. */
int mostao_open_jsonc(lua_State *L);

#endif
