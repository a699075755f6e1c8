#include "config.h"
#include "reins-cli-private.h"
int
reins_cli_judge (int    argc,
                 char **argv)
{
  return REINS_CLI_EXIT_USAGE;
}
