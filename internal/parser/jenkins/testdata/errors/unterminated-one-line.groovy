sh 'x
