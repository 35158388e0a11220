/* The subcommands; each is int cmd_NAME(int argc, char **argv), argv[0] = NAME. */
#ifndef TANDEM_CLI_COMMANDS_H
#define TANDEM_CLI_COMMANDS_H

int cmd_help(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_concord(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_segment(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
