/*
 * src/commands.h: ikeroam's subcommands other than connect.  Each lives
 * in src/cmd_<name>.c as
 *
 *	int cmd_<name>(int argc, char **argv);	argv[0] is "<name>"
 *
 * returns an exit status of src/exitcode.h, and prints its own errors
 * (one line each).  main() dispatches each with one line, before the
 * connect options are parsed:
 *
 *	if (argc >= 2 && strcmp(argv[1], "<name>") == 0)
 *		return cmd_<name>(argc - 1, argv + 1);
 */
#ifndef IR_SRC_COMMANDS_H
#define IR_SRC_COMMANDS_H

int	cmd_list(int argc, char **argv);	/* profiles in the config dir */
int	cmd_show(int argc, char **argv);	/* one profile, no secrets */
int	cmd_check(int argc, char **argv);	/* validate, do not connect */
/* ikeroam import FILE|https://URL [options] (src/cmd_import.c) */
int	cmd_import(int argc, char **argv);

/* The control socket (man ikeroam(8), CONTROL SOCKET): src/cmd_status.c,
 * src/cmd_disconnect.c, src/cmd_reconnect.c. */
int	cmd_status(int argc, char **argv);	/* [NAME] [--json] */
int	cmd_disconnect(int argc, char **argv);	/* [NAME], waits */
int	cmd_reconnect(int argc, char **argv);	/* NAME, waits for up */
/* [NAME] [--socket PATH]: 0 or exit status 2 (line printed). */
int	cmd_control_args(int argc, char **argv, const char **name,
	    const char **sock, const char *usage);

#endif
