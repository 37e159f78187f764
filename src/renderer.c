/* placeholder until the core lands */
#include "virgl-next/virgl_next.h"
