/* placeholder filled below */
#include <check.h>
