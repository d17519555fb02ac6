library 'pipeline-lib@main'
podTemplate(label: 'pod', containers: [
  containerTemplate(name: 'jnlp', image: 'jenkins/inbound-agent:latest'),
  containerTemplate(name: 'go', image: "golang:${GO}")
]) {
  node(POD_LABEL) {
    stage('Build') {
      container('go') { sh 'go build ./...' }
      docker.image('redis:7').withRun('-p 6379:6379', 'redis-server --appendonly yes') { c ->
        sh "go test ./... # uses ${c.id}"
      }
    }
  }
}
