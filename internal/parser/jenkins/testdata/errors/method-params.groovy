def build(target branch) {
  sh "make ${target}"
}
node {
  build('all', 'main')
}
