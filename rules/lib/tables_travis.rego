# Travis CI's facts: the deploy providers of `deploy:` (a parsed deploy
# is an other step whose call is the provider) and how to fix a finding on
# Travis. Entries of the partial tables of this package.
package pipelint.lib.tables

# Providers that change a running system.
deploy_calls contains call if some call in {
	"heroku", "elasticbeanstalk", "codedeploy", "lambda", "cloudfoundry",
	"bluemixcloudfoundry", "openshift", "gae", "azure_web_apps", "firebase",
	"engineyard", "cloud66", "anynines", "boxfuse", "hephy", "scalingo",
	"opsworks", "convox", "atlas", "catalyze",
}

# Providers that publish a package, a release or a site.
publishing_calls contains call if some call in {
	"releases", "npm", "pypi", "rubygems", "cargo", "hex", "hackage",
	"puppetforge", "snap", "bintray", "packagecloud", "chef_supermarket",
	"s3", "gcs", "cloudfiles", "pages", "netlify", "surge", "git_push",
}

cache_hint.travis[ecosystem] := hint if some ecosystem, hint in {
	"*": "add the package manager's cache directory to `cache: directories:`",
	"npm": "add `cache: npm`",
	"yarn": "add `cache: yarn`",
	"pip": "add `cache: pip`",
	"pipenv": "add `cache: directories: [$HOME/.cache/pipenv]`",
	"poetry": "add `cache: directories: [$HOME/.cache/pypoetry]`",
	"bundler": "add `cache: bundler`",
	"cargo": "add `cache: cargo`",
	"go": "add `cache: directories: [$HOME/go/pkg/mod, $HOME/.cache/go-build]`",
	"maven": "add `cache: directories: [$HOME/.m2/repository]`",
	"gradle": "add `cache: directories: [$HOME/.gradle/caches, $HOME/.gradle/wrapper]`",
	"composer": "add `cache: directories: [$HOME/.composer/cache]`",
}

failure_path_idiom.travis := "an `after_failure:` step"

approval_idiom.travis := "Travis CI has no approval step: deploy only from tags a maintainer pushes (`on: tags: true`), or from a system with required reviewers"
