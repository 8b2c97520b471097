/* The parts of the module the C json encoder shares with main.c. */
#ifndef MOSTAO_JSONENC_H
#define MOSTAO_JSONENC_H

#include "lua.h"

/* mostao_charge adds units to the evaluation's work count (main.c). */
void mostao_charge(double units);

/* mostao_open_jsonc opens require(".jsonc"): {encode = ...}. */
int mostao_open_jsonc(lua_State *L);

#endif
