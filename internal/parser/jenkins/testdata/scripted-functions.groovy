// Functions run where they are called; script steps run inside conditions.
def publish(String target, Map<String, String> opts = [:]) {
  withCredentials([string(credentialsId: 'token', variable: 'TOKEN')]) {
    sh "deploy --to ${target} --token $TOKEN"
  }
}

static def tryFinally(Closure main, Closure... finallies) {
  try { main() } finally { finallies.each { it() } }
}

node('linux') {
  stage('Build') {
    if (!sh(script: 'git diff --quiet', returnStatus: true).equals(0)) {
      echo "changed: ${sh(script: 'git diff --stat', returnStdout: true).trim()}"
    }
    docker.image('maven:3').inside('--mount type=volume,src=m2,dst=/root/.m2') {
      tryFinally({
        String goals = "${params.GOALS ?: 'verify'}"
        sh "mvn -B $goals"
      }, {
        junit 'target/surefire-reports/*.xml'
      })
    }
  }
  stage('Deploy') {
    publish('prod')
  }
}
