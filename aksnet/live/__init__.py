"""aksnet/live"""
