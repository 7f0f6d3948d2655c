#include "unit.h"
TEST(placeholder) { CHECK(1); }
