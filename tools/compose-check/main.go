// compose-check loads a Compose file the way Docker Compose v2 does (compose-go: interpolation,
// `${VAR:?message}` errors, schema validation, normalisation, consistency checks) and prints the
// resulting model as JSON, or the loader's error and exit status 1. No Docker engine is needed, so
// the test command can check docker-compose.yml on a machine that has none.
//
// Usage: compose-check [-f docker-compose.yml]... [--env-file FILE]... [--project-name NAME]
//
// Interpolation reads the process environment, then the env files (the project's .env when none is
// given, unless COMPOSE_DISABLE_ENV_FILE is true), as `docker compose config` does.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint(*l) }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var files, envFiles listFlag
	flag.Var(&files, "f", "compose file (repeatable; default: docker-compose.yml or compose.yaml in the current directory)")
	flag.Var(&envFiles, "env-file", "env file for interpolation (repeatable; default: the project's .env)")
	name := flag.String("project-name", "", "project name (default: the file's `name:` or its directory)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "compose-check: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}

	opts := []cli.ProjectOptionsFn{
		cli.WithName(*name),
		cli.WithOsEnv,
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
		cli.WithDefaultConfigPath,
		cli.WithDefaultProfiles(),
		cli.WithResolvedPaths(true),
	}
	options, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(append(out, '\n'))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
	os.Exit(1)
}
