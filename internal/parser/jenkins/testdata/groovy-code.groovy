// What the Groovy code calls, reads, constructs, annotates and imports,
// wherever it is written: the steps are read elsewhere.
@Grapes([@Grab('org.yaml:snakeyaml:2.2'), @Grab(group = 'commons-io', module = 'commons-io', version = '2.16.1')])
import org.yaml.snakeyaml.Yaml
import static java.lang.Runtime.getRuntime
import jenkins.model.*

@NonCPS
def jobNames() {
  return Jenkins.instance.getAllItems().collect { it.fullName }
}

class Helper implements Serializable {
  def loader = this.class.classLoader

  @NonCPS
  static String run(String command) {
    return command.execute().text
  }
}

node {
  def sha = "git rev-parse ${env.BRANCH_NAME}".execute().text.trim()
  def listing = ['ls', '-l'].execute()
  def p = new java.lang.ProcessBuilder('make').start()
  def shell = new GroovyShell()
  Class.forName('org.example.Tool')?.newInstance()
  sh "echo $env.WORKSPACE ${Jenkins.get().rootUrl}"
  def forName = Class.&forName
  def sizes = new int[4]
  evaluate(readFile('ci/steps.groovy'))
}
